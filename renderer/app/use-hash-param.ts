import { useEffect, useState } from 'react';
import { hashNumber } from './navigation';

/** A number parameter of the in-app address (`#/notes?id=3` → 3), following later jumps. */
export function useHashNumber(name: string): number | null {
  const [value, setValue] = useState(() => hashNumber(window.location.hash, name));
  useEffect(() => {
    const onHashChange = () => setValue(hashNumber(window.location.hash, name));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [name]);
  return value;
}
